# The web module: the explorer page's C++ (src/web/) and its code (web/:
# ES modules and a stylesheet) inlined into a generated source by
# web/inline.cmake at build time (no npm, no network). Included by the top
# CMakeLists.txt after pprofx_core is declared.
set(PPROFX_WEB_DIR ${CMAKE_CURRENT_LIST_DIR})
# Dependency order: each module only imports modules listed before it.
set(PPROFX_WEB_MODULES units.js regex.js tags.js payload.js refine.js top.js tree.js state.js source.js flame_view.js table_view.js
    diff.js diff_page.js main.js)
list(TRANSFORM PPROFX_WEB_MODULES PREPEND ${PPROFX_WEB_DIR}/ OUTPUT_VARIABLE PPROFX_WEB_MODULE_PATHS)
set(PPROFX_WEB_GENERATED ${CMAKE_CURRENT_BINARY_DIR}/gen/web/web_assets.cc)
add_custom_command(OUTPUT ${PPROFX_WEB_GENERATED}
                   COMMAND ${CMAKE_COMMAND} -DOUT=${PPROFX_WEB_GENERATED} -DSTYLE=${PPROFX_WEB_DIR}/style.css
                           -DSHELL=${PPROFX_WEB_DIR}/page.html "-DMODULES=${PPROFX_WEB_MODULE_PATHS}"
                           -P ${PPROFX_WEB_DIR}/inline.cmake
                   DEPENDS ${PPROFX_WEB_MODULE_PATHS} ${PPROFX_WEB_DIR}/style.css ${PPROFX_WEB_DIR}/page.html
                           ${PPROFX_WEB_DIR}/inline.cmake
                   COMMENT "Inlining the web page's modules and style (web/)"
                   VERBATIM)
target_sources(pprofx_core PRIVATE src/web/page_data.cc src/web/page_sources.cc src/web/page.cc src/web/script_json.cc src/web/server.cc
               ${PPROFX_WEB_GENERATED})
target_include_directories(pprofx_core PRIVATE src/web)
# pprofx web --http: Debian's cpp-httplib (libcpp-httplib-dev), a shared library with its pkg-config file.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
target_link_libraries(pprofx_core PRIVATE PkgConfig::HTTPLIB)
