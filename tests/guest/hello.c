/* Hello world and exit statuses: return from main, exit(), _exit(), and statuses taken modulo
 * 256, death by SIGABRT, selected by argv. Checks that stdout is flushed at exit in each way. */
// test-run: main 0
// test-run: exit3 3 exit 3
// test-run: exit255 255 exit 255
// test-run: exit256 0 exit 256
// test-run: ret42 42 ret 42
// test-run: _exit7 7 _exit 7
// test-run: abort signal:6 abort
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("hello, world\n");
    if (argc < 2)
        return 0;
    if (strcmp(argv[1], "abort") == 0) {
        fflush(stdout);
        abort(); /* killed by SIGABRT: remu must die of the same signal */
    }
    int code = argc > 2 ? atoi(argv[2]) : 1;
    printf("leaving with %s %d\n", argv[1], code);
    if (strcmp(argv[1], "exit") == 0)
        exit(code);
    if (strcmp(argv[1], "_exit") == 0) {
        fflush(stdout);
        _exit(code);
    }
    return code;
}
