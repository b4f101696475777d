# kfuncdb_embed_files(OUTPUT <base> NAMESPACE <ns> FILES <file>...)
#
# Writes <base>.h/.cc into the build tree with a sorted table of
# {file name, contents} for the given files, so data such as the SQL
# migrations or the release catalog ship inside the binaries and no install
# step can lose them. Re-runs whenever one of the files changes.
function(kfuncdb_embed_files)
  cmake_parse_arguments(EMBED "" "OUTPUT;NAMESPACE;SYMBOL" "FILES" ${ARGN})
  set(header "${CMAKE_CURRENT_BINARY_DIR}/${EMBED_OUTPUT}.h")
  set(source "${CMAKE_CURRENT_BINARY_DIR}/${EMBED_OUTPUT}.cc")
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND ${CMAKE_COMMAND}
      -DHEADER=${header} -DSOURCE=${source}
      -DNAMESPACE=${EMBED_NAMESPACE} -DSYMBOL=${EMBED_SYMBOL}
      "-DFILES=${EMBED_FILES}"
      -P "${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    DEPENDS ${EMBED_FILES} "${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake"
    COMMENT "Embedding ${EMBED_OUTPUT}"
    VERBATIM)
  set_source_files_properties("${header}" "${source}" PROPERTIES GENERATED TRUE)
endfunction()
