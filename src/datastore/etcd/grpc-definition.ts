/**
 * What the bundle puts in place of @grpc/proto-loader for etcd3 (scripts/build.mjs): the same gRPC
 * package definition for etcd's services, built from a descriptor the build made from etcd3's
 * rpc.proto rather than by parsing the .proto files at run time. Messages are encoded and decoded
 * exactly as proto-loader does it (protobufjs reflection with the caller's conversion options); what
 * only gRPC reflection reads (file descriptors, message definitions) is left out, which is where
 * proto-loader spends most of its time.
 */
import protobuf from 'protobufjs/light.js'

/** etcd3's rpc.proto, kv.proto and auth.proto as protobufjs JSON (field names as written), made by the build. */
declare const ETCD_RPC_DESCRIPTOR: protobuf.INamespace

interface MethodDefinition {
  path: string
  requestStream: boolean
  responseStream: boolean
  requestSerialize(value: object): Buffer
  requestDeserialize(bytes: Buffer): object
  responseSerialize(value: object): Buffer
  responseDeserialize(bytes: Buffer): object
  originalName: string
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`)
    return type.encode(type.fromObject(value)).finish() as Buffer
  }
}

function deserializer(type: protobuf.Type, options: protobuf.IConversionOptions): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), options)
}

/** proto-loader's loadSync for the one file etcd3 loads; `options` are its conversion options. */
export function loadSync(_file: string, options: protobuf.IConversionOptions): Record<string, Record<string, MethodDefinition>> {
  const root = protobuf.Root.fromJSON(ETCD_RPC_DESCRIPTOR)
  const definition: Record<string, Record<string, MethodDefinition>> = {}
  const pkg = root.lookup('etcdserverpb') as protobuf.Namespace
  for (const service of pkg.nestedArray) {
    if (!(service instanceof protobuf.Service)) continue
    const methods: Record<string, MethodDefinition> = {}
    for (const method of service.methodsArray) {
      method.resolve()
      const request = method.resolvedRequestType as protobuf.Type
      const response = method.resolvedResponseType as protobuf.Type
      methods[method.name] = {
        path: `/etcdserverpb.${service.name}/${method.name}`,
        requestStream: Boolean(method.requestStream),
        responseStream: Boolean(method.responseStream),
        requestSerialize: serializer(request),
        requestDeserialize: deserializer(request, options),
        responseSerialize: serializer(response),
        responseDeserialize: deserializer(response, options),
        // lodash.camelCase of a PascalCase method name, as proto-loader names it.
        originalName: lowerFirst(method.name),
      }
    }
    definition[`etcdserverpb.${service.name}`] = methods
  }
  return definition
}
