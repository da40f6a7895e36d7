/* File I/O through libc and the raw descriptors in a scratch directory (argv[1]): create, write,
 * read, lseek, pread/pwrite, fstat/stat/lstat, ftruncate, rename, link/symlink/readlink, unlink,
 * O_EXCL/O_APPEND, dup/dup2, pipe, stdio buffering, errno values of failing calls. */
// test-run: main 0 @TMP
#include "check.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static char path[4096];

static const char *in_dir(const char *dir, const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: fileio DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    CHECK(chdir(dir) == 0);

    /* write 10000 bytes in odd-sized chunks */
    int fd = open("data.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd >= 0);
    unsigned char buf[10000];
    for (int i = 0; i < 10000; i++)
        buf[i] = (unsigned char)(i * 7 + (i >> 8));
    size_t off = 0;
    while (off < sizeof buf) {
        size_t n = sizeof buf - off < 777 ? sizeof buf - off : 777;
        ssize_t w = write(fd, buf + off, n);
        CHECK(w == (ssize_t)n);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    CHECK(close(fd) == 0);

    struct stat st;
    CHECK(stat("data.bin", &st) == 0);
    CHECK(st.st_size == 10000);
    CHECK(S_ISREG(st.st_mode));
    CHECKF((st.st_mode & 0777) == (0644 & ~0022) || (st.st_mode & 0777) == 0644, "mode %o", st.st_mode);
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    /* read back, seek, pread, pwrite */
    fd = open(in_dir(dir, "data.bin"), O_RDWR);
    CHECK(fd >= 0);
    unsigned char back[10000];
    CHECK(read(fd, back, sizeof back) == 10000);
    CHECK(memcmp(buf, back, sizeof buf) == 0);
    CHECK(read(fd, back, 10) == 0); /* EOF */
    CHECK(lseek(fd, 1234, SEEK_SET) == 1234);
    unsigned char b4[4];
    CHECK(read(fd, b4, 4) == 4 && memcmp(b4, buf + 1234, 4) == 0);
    CHECK(lseek(fd, -10, SEEK_END) == 9990);
    CHECK(lseek(fd, 5, SEEK_CUR) == 9995);
    CHECK(pread(fd, b4, 4, 100) == 4 && memcmp(b4, buf + 100, 4) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 9995); /* pread does not move the offset */
    CHECK(pwrite(fd, "WXYZ", 4, 20000) == 4); /* extends with a hole */
    struct stat fst;
    CHECK(fstat(fd, &fst) == 0 && fst.st_size == 20004);
    CHECK(pread(fd, b4, 4, 15000) == 4 && b4[0] == 0 && b4[3] == 0);
    CHECK(ftruncate(fd, 5000) == 0);
    CHECK(fstat(fd, &fst) == 0 && fst.st_size == 5000);
    /* readv/writev */
    struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
    CHECK(pwritev(fd, iov, 2, 0) == 7);
    char r1[3], r2[4];
    struct iovec riov[2] = {{r1, 3}, {r2, 4}};
    CHECK(preadv(fd, riov, 2, 0) == 7 && memcmp(r1, "abc", 3) == 0 && memcmp(r2, "defg", 4) == 0);
    CHECK(close(fd) == 0);

    /* errno of failing calls */
    errno = 0;
    CHECK(open("missing", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open("data.bin", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST);
    CHECK(close(12345) == -1 && errno == EBADF);
    CHECK(read(-1, b4, 1) == -1 && errno == EBADF);
    CHECK(mkdir("data.bin", 0755) == -1 && errno == EEXIST);
    CHECK(rmdir("missing") == -1 && errno == ENOENT);
    CHECK(access("data.bin", R_OK | W_OK) == 0);
    CHECK(access("missing", F_OK) == -1 && errno == ENOENT);

    /* O_APPEND */
    fd = open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0600);
    CHECK(fd >= 0);
    CHECK(write(fd, "one\n", 4) == 4);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "two\n", 4) == 4);
    CHECK(close(fd) == 0);
    CHECK(stat("log.txt", &st) == 0 && st.st_size == 8);

    /* rename, link, symlink, readlink, lstat, unlink */
    CHECK(rename("log.txt", "log2.txt") == 0);
    CHECK(stat("log.txt", &st) == -1 && errno == ENOENT);
    CHECK(link("log2.txt", "hard.txt") == 0);
    CHECK(stat("hard.txt", &st) == 0 && st.st_nlink == 2);
    CHECK(symlink("log2.txt", "sym.txt") == 0);
    char lnk[64];
    ssize_t ln = readlink("sym.txt", lnk, sizeof lnk);
    CHECK(ln == 8 && memcmp(lnk, "log2.txt", 8) == 0);
    CHECK(lstat("sym.txt", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("sym.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 8);
    CHECK(unlink("sym.txt") == 0 && unlink("hard.txt") == 0 && unlink("log2.txt") == 0);
    CHECK(mkdir("sub", 0755) == 0 && stat("sub", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(rmdir("sub") == 0);

    /* openat / fstatat relative to a directory descriptor */
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    fd = openat(dfd, "at.txt", O_CREAT | O_RDWR, 0644);
    CHECK(fd >= 0 && write(fd, "at", 2) == 2 && close(fd) == 0);
    CHECK(fstatat(dfd, "at.txt", &st, 0) == 0 && st.st_size == 2);
    CHECK(unlinkat(dfd, "at.txt", 0) == 0);
    CHECK(close(dfd) == 0);

    /* dup, dup2, pipe */
    int p[2];
    CHECK(pipe(p) == 0);
    int d = dup(p[1]);
    CHECK(d > p[1] || d > 2);
    CHECK(write(d, "pipe!", 5) == 5);
    CHECK(dup2(p[1], 100) == 100 && write(100, "?", 1) == 1);
    char pb[8] = {0};
    CHECK(read(p[0], pb, sizeof pb) == 6 && memcmp(pb, "pipe!?", 6) == 0);
    close(d);
    close(100);
    close(p[1]);
    CHECK(read(p[0], pb, 1) == 0);
    close(p[0]);

    /* stdio */
    FILE *f = fopen("stdio.txt", "w+");
    CHECK(f != NULL);
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %d\n", i);
    CHECK(fflush(f) == 0);
    rewind(f);
    char line[64];
    int lines = 0, last = -1;
    while (fgets(line, sizeof line, f)) {
        lines++;
        CHECK(sscanf(line, "line %d", &last) == 1);
    }
    CHECK(lines == 1000 && last == 999);
    CHECK(ftell(f) == 8890);
    CHECK(fclose(f) == 0);
    CHECK(unlink("stdio.txt") == 0 && unlink("data.bin") == 0);
    return finish("fileio");
}
