using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Grid.Ledger.Idempotency;

/// <summary>
/// An operation id reduced to 128 bits of its SHA-256, so the idempotency window can remember many ids
/// without holding their strings. Two ids share a fingerprint with a chance of about 2^-128; a shared one
/// would only make the owner look an id up in the journal, which answers exactly.
/// </summary>
public readonly record struct OperationFingerprint(UInt128 Value)
{
    public static OperationFingerprint Of(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(operationId.AsSpan()), hash);
        return new OperationFingerprint(BinaryPrimitives.ReadUInt128LittleEndian(hash));
    }
}
