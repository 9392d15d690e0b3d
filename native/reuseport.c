/*
 * Listening sockets for `ecr-universe serve --workers N` (generator/serve/reusePort.ts): one
 * socket per server process, each with SO_REUSEPORT on the same address and port, so that the
 * kernel spreads new connections over the processes by a hash of each connection's addresses,
 * as nginx's `listen ... reuseport` does. With one socket shared by every process, whichever
 * process wakes first accepts a whole burst of connections (splits of 29/3 were measured); node
 * 20 has no `reusePort` option (node 22.12 has).
 *
 * listenReusePort(address, port, backlog) -> fd (or -errno): a non-blocking, close-on-exec TCP
 *   socket listening on address (IPv4 or IPv6 text) and port, with SO_REUSEADDR and SO_REUSEPORT.
 * localPort(fd) -> the port the socket is bound to (or -errno)
 * closeSocket(fd)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static napi_value number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

static napi_value listen_reuse_port(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  char address[INET6_ADDRSTRLEN + 1];
  size_t address_len;
  int64_t port, backlog;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_string_utf8(env, args[0], address, sizeof address, &address_len) != napi_ok || address_len >= sizeof address - 1 ||
      napi_get_value_int64(env, args[1], &port) != napi_ok || napi_get_value_int64(env, args[2], &backlog) != napi_ok || port < 0 || port > 65535 ||
      backlog < 0) {
    napi_throw_type_error(env, NULL, "listenReusePort(address, port, backlog)");
    return NULL;
  }
  struct sockaddr_storage addr;
  socklen_t addr_len;
  memset(&addr, 0, sizeof addr);
  struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    addr_len = sizeof *v4;
  } else if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    addr_len = sizeof *v6;
  } else {
    return number(env, -EINVAL);
  }
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return number(env, -errno);
  int on = 1;
  /* SO_REUSEADDR as node sets it on every listening socket (restarts while old connections linger). */
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
      bind(fd, (struct sockaddr *)&addr, addr_len) < 0 || listen(fd, (int)backlog) < 0) {
    int e = errno;
    close(fd);
    return number(env, -e);
  }
  return number(env, fd);
}

static napi_value local_port(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int64_t fd;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_int64(env, args[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "localPort(fd)");
    return NULL;
  }
  struct sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (getsockname((int)fd, (struct sockaddr *)&addr, &len) < 0) return number(env, -errno);
  if (addr.ss_family == AF_INET) return number(env, ntohs(((struct sockaddr_in *)&addr)->sin_port));
  if (addr.ss_family == AF_INET6) return number(env, ntohs(((struct sockaddr_in6 *)&addr)->sin6_port));
  return number(env, -EAFNOSUPPORT);
}

static napi_value close_socket(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int64_t fd;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) == napi_ok && argc >= 1 && napi_get_value_int64(env, args[0], &fd) == napi_ok && fd >= 0) close((int)fd);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"listenReusePort", NULL, listen_reuse_port, NULL, NULL, NULL, napi_default, NULL},
      {"localPort", NULL, local_port, NULL, NULL, NULL, napi_default, NULL},
      {"closeSocket", NULL, close_socket, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
