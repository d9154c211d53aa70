# Rule packs (rules/**) are compiled into the binary so gapmap is self-contained.
file(GLOB_RECURSE GAPMAP_RULE_FILES CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/rules/*.json ${CMAKE_SOURCE_DIR}/rules/*.scm)
list(SORT GAPMAP_RULE_FILES)
set(GAPMAP_EMBEDDED_RULES_CPP ${CMAKE_BINARY_DIR}/generated/embedded_rules.cpp)
# The list goes through a file: a ';'-list on a command line would split into separate arguments.
set(GAPMAP_RULE_LIST ${CMAKE_BINARY_DIR}/generated/rule_files.txt)
file(WRITE ${GAPMAP_RULE_LIST}.new "${GAPMAP_RULE_FILES}")
file(COPY_FILE ${GAPMAP_RULE_LIST}.new ${GAPMAP_RULE_LIST} ONLY_IF_DIFFERENT)
add_custom_command(
  OUTPUT ${GAPMAP_EMBEDDED_RULES_CPP}
  COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_SOURCE_DIR}/rules -DOUT=${GAPMAP_EMBEDDED_RULES_CPP}
          -DLIST=${GAPMAP_RULE_LIST} -P ${CMAKE_SOURCE_DIR}/cmake/embed_rules_script.cmake
  DEPENDS ${GAPMAP_RULE_FILES} ${GAPMAP_RULE_LIST} ${CMAKE_SOURCE_DIR}/cmake/embed_rules_script.cmake
  VERBATIM
  COMMENT "Embedding rule packs")
