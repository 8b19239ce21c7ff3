# A hand-written NodeList whose keys are not in kubectl's order: the item is printed as read,
# keys sorted, with the kind its typed list implies (sorting must not disturb what was read).
get nodes cp-1 -o yaml -f nodes.yaml
