get svc -A -f bad/bad-list.json
