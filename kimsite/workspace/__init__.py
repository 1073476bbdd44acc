"""What a build starts from: settings, site files, sources, themes, options; the output guard, lock and cache."""
