check -f bad/bad-list.json
