get services -A -f dir
