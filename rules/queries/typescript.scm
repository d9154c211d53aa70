; inherits: ecma
(public_field_definition name: (_) @binding.target value: (_) @binding.value) @binding.field
(class name: (_) @class.name) @class
(abstract_class_declaration name: (_) @class.name) @class
