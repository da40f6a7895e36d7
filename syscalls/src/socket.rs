//! Sockets. `sockaddr*`, `msghdr`, `cmsghdr`, `linger`, `timeval` options and the SOCK_*/MSG_*/
//! SOL_*/SO_* values are the same on the 64-bit little-endian guests and x86_64 (x86_64 uses
//! asm-generic/socket.h), so every call passes through.

passthrough! {
    socket => SYS_socket;
    socketpair => SYS_socketpair;
    bind => SYS_bind;
    listen => SYS_listen;
    accept => SYS_accept;
    accept4 => SYS_accept4;
    connect => SYS_connect;
    getsockname => SYS_getsockname;
    getpeername => SYS_getpeername;
    sendto => SYS_sendto;
    recvfrom => SYS_recvfrom;
    setsockopt => SYS_setsockopt;
    getsockopt => SYS_getsockopt;
    shutdown => SYS_shutdown;
    sendmsg => SYS_sendmsg;
    recvmsg => SYS_recvmsg;
}
