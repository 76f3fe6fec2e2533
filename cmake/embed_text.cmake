# Writes OUTPUT, a C++ file defining `const std::string_view NAME` in
# NAMESPACE with the text of INPUT, so a file of the source tree (the
# what-if page) is compiled into the binary. Run as `cmake -P`.
file(READ "${INPUT}" text)
set(delimiter "wfsim_embedded")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} holds the raw-string delimiter )${delimiter}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed_text.cmake; edit that file instead.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "extern const std::string_view ${NAME};\n"
  "const std::string_view ${NAME} = R\"${delimiter}(${text})${delimiter}\";\n"
  "}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
