# The SANE addon: one C++17 file over libsane, built by build/setup.sh with node-gyp against
# Node 22's own headers. C++ exceptions are on so node-addon-api errors propagate as exceptions.
{
  "targets": [
    {
      "target_name": "sane",
      "sources": ["src/sane.cc"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "libraries": ["-lsane"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
