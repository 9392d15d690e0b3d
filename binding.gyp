{
  "targets": [
    {
      "target_name": "zerocopy",
      "sources": ["native/zerocopy.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/zerocopy.c"]}]]
    },
    {
      "target_name": "reuseport",
      "sources": ["native/reuseport.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [["OS!='linux'", {"type": "none", "sources!": ["native/reuseport.c"]}]]
    }
  ]
}
