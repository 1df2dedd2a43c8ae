"""Views of the corpus for people: one document side by side with its annotations (document.py), the data
behind `calque show` and the annotation UI's document page, and its rendering for the terminal."""
