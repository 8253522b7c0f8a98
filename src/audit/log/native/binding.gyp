{
  "targets": [
    {
      "target_name": "tile_hasher",
      "sources": ["tile-hasher.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-deprecated-declarations"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-Wall", "-Wextra", "-Wno-deprecated-declarations"] },
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
