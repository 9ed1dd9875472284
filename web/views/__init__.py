"""One module per page; each serves the HTML page and its JSON twin from the same data."""
