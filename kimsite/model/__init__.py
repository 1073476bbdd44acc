"""The records a build works on (Document, SiteModel) and their assembly into sites."""
