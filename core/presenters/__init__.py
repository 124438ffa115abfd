"""What the window's grids show, as Qt-free table objects over the document."""
