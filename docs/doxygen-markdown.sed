# Doxygen input filter for README.md (see docs/Doxyfile.in). The reference holds README.md and
# npyio.h only, so a link to another Markdown file of the repository (cli/README.md, ...) has
# no page to point to there and Doxygen warns: keep the link's text, which names the file.
s|\[\([^]]*\)\](\([A-Za-z0-9_./-]*\.md\))|\1|g
