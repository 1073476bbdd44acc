"""The page and feed families of a KIM site, the layout they share, and the site-wide files."""
