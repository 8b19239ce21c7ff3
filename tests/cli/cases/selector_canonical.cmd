selector 'y = b, x in (b,a,a), !z'
