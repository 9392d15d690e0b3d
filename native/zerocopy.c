/*
 * Zero-copy sending for `ecr-universe serve` (generator/serve/zeroCopy.ts): a response body is
 * put once into a sealed memfd, and each response sends its head, then the body with sendfile(2)
 * from that memfd, as nginx sends static files. Without it every response copies its body from
 * the process into the kernel, which costs nginx's sendfile advantage on large bodies.
 *
 * memfdFrom(buffer) -> fd (or -errno)
 * sendHeadAndFile(socketFd, head, fileFd, offset, length) -> bytes sent, head included (or -errno)
 *   Never blocks (the socket is non-blocking): a full socket buffer returns what was sent, and
 *   the caller sends the rest through node's own stream.
 * closeFd(fd)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

static napi_value number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

static int int_arg(napi_env env, napi_value v, int64_t *out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

static napi_value memfd_from(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  void *data;
  size_t len;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 1 || napi_get_buffer_info(env, args[0], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "memfdFrom(buffer)");
    return NULL;
  }
  int fd = memfd_create("ecr-universe-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return number(env, -errno);
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, (const char *)data + done, len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      return number(env, -e);
    }
    done += (size_t)n;
  }
  /* The bytes can no longer change: what was checked (length, ETag) is what is sent. */
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
    int e = errno;
    close(fd);
    return number(env, -e);
  }
  return number(env, fd);
}

static napi_value send_head_and_file(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  int64_t sock, file, offset, length;
  void *head;
  size_t head_len;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc < 5 || !int_arg(env, args[0], &sock) ||
      napi_get_buffer_info(env, args[1], &head, &head_len) != napi_ok || !int_arg(env, args[2], &file) || !int_arg(env, args[3], &offset) ||
      !int_arg(env, args[4], &length) || sock < 0 || file < 0 || offset < 0 || length < 0) {
    napi_throw_type_error(env, NULL, "sendHeadAndFile(socketFd, head, fileFd, offset, length)");
    return NULL;
  }
  double total = 0;
  size_t sent_head = 0;
  while (sent_head < head_len) {
    ssize_t n = send((int)sock, (const char *)head + sent_head, head_len - sent_head, MSG_MORE | MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return number(env, total);
      return number(env, total > 0 ? total : -errno);
    }
    sent_head += (size_t)n;
    total += (double)n;
  }
  off_t off = (off_t)offset;
  size_t left = (size_t)length;
  while (left > 0) {
    ssize_t n = sendfile((int)sock, (int)file, &off, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return number(env, total > 0 ? total : -errno);
    }
    if (n == 0) break;
    left -= (size_t)n;
    total += (double)n;
  }
  return number(env, total);
}

static napi_value close_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  int64_t fd;
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) == napi_ok && argc >= 1 && int_arg(env, args[0], &fd) && fd >= 0) close((int)fd);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"memfdFrom", NULL, memfd_from, NULL, NULL, NULL, napi_default, NULL},
      {"sendHeadAndFile", NULL, send_head_and_file, NULL, NULL, NULL, napi_default, NULL},
      {"closeFd", NULL, close_fd, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
