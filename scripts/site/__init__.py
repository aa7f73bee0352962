"""Step 3 of the pipeline: the site's pages from the loaded package (render, charts, downloads page), the search's word
list (search_words) and, after mkdocs, the search index's check (search_index); linkcheck tests the built site."""
