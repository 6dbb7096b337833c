"""A JSON blog API on the standard library's WSGI interface."""
