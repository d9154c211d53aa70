# The tree-sitter runtime and grammars, unpacked by scripts/fetch-grammars.sh into GAPMAP_DEPS_DIR.
set(_ts ${GAPMAP_DEPS_DIR}/runtime/vendor/tree-sitter/lib)
if(NOT EXISTS ${_ts}/src/lib.c)
  message(FATAL_ERROR "tree-sitter sources not found under ${GAPMAP_DEPS_DIR}: run scripts/fetch-grammars.sh first")
endif()

add_library(gapmap_grammars STATIC ${_ts}/src/lib.c)
target_include_directories(gapmap_grammars PUBLIC ${_ts}/include)
target_compile_definitions(gapmap_grammars PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(gapmap_grammars PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)

# name;folder-relative-to-deps (the package layout is kept: typescript/php scanners include ../../common)
set(GAPMAP_GRAMMARS
  "python|python/src" "javascript|javascript/src" "typescript|typescript/typescript/src"
  "tsx|typescript/tsx/src" "go|go/src" "java|java/src" "c_sharp|c_sharp/src" "ruby|ruby/src"
  "rust|rust/src" "php|php/php/src" "kotlin|kotlin/src" "yaml|yaml/src" "json|json/src")
foreach(entry IN LISTS GAPMAP_GRAMMARS)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 1 dir)
  set(src ${GAPMAP_DEPS_DIR}/${dir})
  target_sources(gapmap_grammars PRIVATE ${src}/parser.c)
  if(EXISTS ${src}/scanner.c)
    target_sources(gapmap_grammars PRIVATE ${src}/scanner.c)
  endif()
  # each grammar's parser.c includes "tree_sitter/parser.h" from its own folder
  set_source_files_properties(${src}/parser.c ${src}/scanner.c PROPERTIES
    INCLUDE_DIRECTORIES ${src} COMPILE_OPTIONS "-w")
endforeach()
set_source_files_properties(${_ts}/src/lib.c PROPERTIES COMPILE_OPTIONS "-w")

# Each grammar's licence travels with the build.
foreach(dir runtime python javascript typescript go java c_sharp ruby rust php kotlin yaml json)
  if(EXISTS ${GAPMAP_DEPS_DIR}/${dir}/LICENSE)
    configure_file(${GAPMAP_DEPS_DIR}/${dir}/LICENSE ${CMAKE_BINARY_DIR}/licenses/${dir}/LICENSE COPYONLY)
  endif()
endforeach()
