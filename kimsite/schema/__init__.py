"""What input files may say: front matter, fields, article types, site fields, safe links, aliases."""
