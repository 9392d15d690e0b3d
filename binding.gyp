{
  "targets": [
    {
      "target_name": "zerocopy",
      "sources": ["native/zerocopy.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/zerocopy.c"]}]]
    }
  ]
}
