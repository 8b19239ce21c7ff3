get endpoints -n nulls -f nulls.json
