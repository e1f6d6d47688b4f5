"""The programme's pages: ``public`` (anyone: published versions and drafts out for comments)
and ``staff`` (the district's staff, the board and the secretariat)."""
