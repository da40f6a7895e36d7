/* argv, envp and the auxiliary vector as the loader builds them: argument strings (empty, with
 * spaces, non-ASCII), the envp block after argv, getenv, and getauxval of AT_PAGESZ, AT_HWCAP,
 * AT_RANDOM, AT_EXECFN, AT_PHDR/PHENT/PHNUM, AT_ENTRY, AT_UID.., AT_SECURE, AT_CLKTCK. */
// test-run: main 0
// test-run: words 0 one "two words" "" "café" --flag=1
#include "check.h"
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static int envp_count(char **envp) {
    int n = 0;
    while (envp[n])
        n++;
    return n;
}

int main(int argc, char **argv, char **envp) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    CHECK(argv[argc] == NULL);
    /* The kernel's layout: envp starts right after argv's NULL. */
    CHECK(envp == argv + argc + 1);
    CHECK(envp == environ);
    CHECK(envp_count(envp) >= 1);

    const char *v = getenv("REMU_TEST_VAR");
    CHECKF(v && strcmp(v, "hello-env") == 0, "REMU_TEST_VAR=%s", v ? v : "(null)");
    int found = 0;
    for (char **e = envp; *e; e++)
        found += strcmp(*e, "REMU_TEST_VAR=hello-env") == 0;
    CHECK(found == 1);
    CHECK(getenv("REMU_SURELY_UNSET_VARIABLE") == NULL);

    CHECKF(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ=%lu", getauxval(AT_PAGESZ));
    CHECK(sysconf(_SC_PAGESIZE) == 4096);
    CHECK(getauxval(AT_HWCAP) != 0);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(rnd != NULL);
    if (rnd) {
        unsigned acc = 0;
        for (int i = 0; i < 16; i++)
            acc |= rnd[i];
        CHECK(acc != 0); /* 16 random bytes, all zero with negligible probability */
    }
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    CHECKF(execfn && strcmp(execfn, argv[0]) == 0, "AT_EXECFN=%s argv0=%s", execfn ? execfn : "(null)",
           argv[0]);

    const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    CHECK(phdr != NULL);
    CHECK(getauxval(AT_PHENT) == sizeof(ElfW(Phdr)));
    unsigned long phnum = getauxval(AT_PHNUM);
    CHECK(phnum > 0 && phnum < 64);
    int has_load = 0;
    for (unsigned long i = 0; phdr && i < phnum; i++)
        has_load += phdr[i].p_type == PT_LOAD;
    CHECK(has_load >= 1);
    CHECK(getauxval(AT_ENTRY) != 0);
    CHECK(getauxval(AT_UID) == getuid());
    CHECK(getauxval(AT_EUID) == geteuid());
    CHECK(getauxval(AT_GID) == getgid());
    CHECK(getauxval(AT_EGID) == getegid());
    CHECK(getauxval(AT_SECURE) == 0);
    CHECK(sysconf(_SC_CLK_TCK) == 100);
    return finish("args_env");
}
