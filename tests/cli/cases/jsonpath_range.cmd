# db-0 was written with status.podIP only; objects print as read, so its podIPs[0] is empty.
get pods -o 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIPs[0].ip}{"\\n"}{end}' -f kubectl.yaml
