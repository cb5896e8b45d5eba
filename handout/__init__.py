"""Patient handout generator: YAML content in, print-ready PDF leaflets out.

The stages, one module each: ``yamlfile`` reads YAML with locations, ``model``
types the content, ``content`` loads and cross-checks it, ``resolve`` fills in
facts for one clinic, ``render`` writes HTML, ``pdf`` turns it into PDF,
``readability`` scores the words, ``output`` is the only writer, ``build`` runs
them in order and ``cli`` is the command line.
"""

__version__ = "0.1.0"
