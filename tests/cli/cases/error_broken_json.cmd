get endpoints -o yaml -f bad/broken.json
