/* Directory listing: builds a small tree in a scratch directory (argv[1]), then lists it with
 * opendir/readdir (names sorted by the program), scandir+alphasort, and a recursive walk with
 * fstatat; also getcwd/chdir/fchdir and rewinddir. */
// test-run: main 0 @TMP
#include "check.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void touch(const char *name, int size) {
    int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd >= 0);
    for (int i = 0; i < size; i++)
        CHECK(write(fd, "x", 1) == 1);
    close(fd);
}

static int list_sorted(const char *dir, int print) {
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d)
        return -1;
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512)
        names[n++] = strdup(e->d_name);
    CHECK(closedir(d) == 0);
    qsort(names, n, sizeof names[0], cmp_str);
    for (int i = 0; i < n; i++) {
        if (print) {
            char p[1024];
            struct stat st;
            snprintf(p, sizeof p, "%s/%s", dir, names[i]);
            CHECK(lstat(p, &st) == 0);
            printf("  %s %s %lld\n", S_ISDIR(st.st_mode) ? "dir " : S_ISLNK(st.st_mode) ? "link" : "file",
                   names[i], S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
        }
        free(names[i]);
    }
    return n;
}

static void walk(int dfd, const char *rel, int depth) {
    DIR *d = fdopendir(dfd);
    CHECK(d != NULL);
    if (!d)
        return;
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    qsort(names, n, sizeof names[0], cmp_str);
    for (int i = 0; i < n; i++) {
        struct stat st;
        CHECK(fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) == 0);
        printf("%*s%s/%s%s\n", depth * 2, "", rel, names[i], S_ISDIR(st.st_mode) ? "/" : "");
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY);
            CHECK(sub >= 0);
            char r[256];
            snprintf(r, sizeof r, "%s/%s", rel, names[i]);
            if (sub >= 0)
                walk(sub, r, depth + 1);
        }
        free(names[i]);
    }
    closedir(d);
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    CHECK(chdir(argv[1]) == 0);
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(mkdir("tree", 0755) == 0 && chdir("tree") == 0);
    touch("zeta.txt", 3);
    touch("alpha.txt", 10);
    touch("Beta", 0);
    CHECK(mkdir("dir1", 0755) == 0 && mkdir("dir1/inner", 0755) == 0 && mkdir("dir2", 0755) == 0);
    touch("dir1/a", 1);
    touch("dir1/inner/deep", 2);
    CHECK(symlink("alpha.txt", "link-to-alpha") == 0);
    char name[32];
    for (int i = 0; i < 150; i++) { /* more entries than one getdents buffer of small size */
        snprintf(name, sizeof name, "dir2/file%03d", i);
        touch(name, i % 5);
    }

    printf("listing of tree:\n");
    int n = list_sorted(".", 1);
    printf("%d entries\n", n);
    CHECK(n == 8);
    CHECK(list_sorted("dir2", 0) == 152);

    struct dirent **ents;
    int m = scandir(".", &ents, NULL, alphasort);
    CHECK(m == 8);
    printf("scandir:");
    for (int i = 0; i < m; i++) {
        printf(" %s", ents[i]->d_name);
        free(ents[i]);
    }
    printf("\n");
    free(ents);

    DIR *d = opendir("dir1");
    int c1 = 0, c2 = 0;
    while (readdir(d))
        c1++;
    rewinddir(d);
    while (readdir(d))
        c2++;
    CHECK(c1 == 4 && c2 == 4);
    closedir(d);

    printf("walk:\n");
    int top = open(".", O_RDONLY | O_DIRECTORY);
    walk(top, ".", 0);

    int here = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(chdir("dir1/inner") == 0);
    char sub[4096];
    CHECK(getcwd(sub, sizeof sub) != NULL);
    size_t cl = strlen(cwd);
    CHECKF(strncmp(sub, cwd, cl) == 0 && strcmp(sub + cl, "/tree/dir1/inner") == 0, "cwd %s", sub);
    CHECK(fchdir(here) == 0);
    CHECK(opendir("missing") == NULL && errno == ENOENT);
    CHECK(opendir("alpha.txt") == NULL && errno == ENOTDIR);
    return finish("dirlist");
}
