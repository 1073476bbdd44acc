"""Pictures, share cards and previews, structured data, embeds, and the files copied as they are."""
