; inherits: ecma
(field_definition property: (_) @binding.target value: (_) @binding.value) @binding.field
(class name: (_) @class.name) @class
