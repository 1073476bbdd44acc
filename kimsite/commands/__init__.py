"""The commands around the build: check, serve, deploy, init and new, fetch."""
