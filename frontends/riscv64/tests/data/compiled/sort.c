void sort(long *a, long n) {
    for (long i = 1; i < n; i++) {
        long v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}
