# fc_embed(OUT FILE...): writes a C file with one entry per FILE in the table
# `fc_embedded[]` ({name, data, size}), name being the file's base name.
# Used for the SQL migrations and the OpenAPI document, so the binary is self-contained.
function(fc_embed out)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding migrations and the OpenAPI document" VERBATIM)
endfunction()
