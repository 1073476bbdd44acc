"""Remote KIM feeds: the guarded download, cleaning items, the stored format in feeds/."""
