"""The live preview: rebuild on every save and show the pages in a browser."""
