"""Offline, cited question answering over one article on anastrozole for male infertility."""
