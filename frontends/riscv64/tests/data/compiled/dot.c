double dot(const double *x, const float *y, long n, double s) {
    double acc = 0;
    for (long i = 0; i < n; i++) acc += x[i] * (double)y[i] + s / (i + 1);
    float f = (float)acc;
    return acc + (long)(f * 0.5f) - __builtin_sqrt(acc < 0 ? -acc : acc);
}
