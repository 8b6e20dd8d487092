"""The timeline page as HTML: its words, what it shows, and its templates' rendering."""
