"""The site's one caching story, for anonymous readers; it imports no app of the site.

- **The content version** (`version.py`): a token in the database that any save, delete or
  relation change of a model the public site shows replaces (what readers send does not).
  Every cached thing below is keyed by it, so an edit shows at once, whatever the cache
  backend and however many worker processes.
- **Values** (`version.cached`): a value worked out from content, such as facet counts, kept
  until content changes; and `{% cache %}` fragments, keyed by the same version through the
  `fragments` context processor.
- **Pages** (`pages.py`): whole anonymous pages, kept under their canonical address in the
  bounded `pages` cache, and served from there through a database outage. A page's view sees
  only the query parameters it declares, so the address it is kept under covers exactly what
  it shows.

Every key carries the release (`CACHES[...]["KEY_PREFIX"]`, see settings), so cached markup
never outlives a deploy of new templates or code.
"""
