# The Endpoints of the `kubernetes` Service are labelled skip-mirror: written by the API server,
# never mirrored into slices.
explain service kubernetes -f realdata/cilium-dualstack-k8s1.24-NOPODS.yaml
