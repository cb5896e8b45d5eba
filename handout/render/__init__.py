"""One leaflet for one clinic: its words filled in, its HTML, its PDF."""
