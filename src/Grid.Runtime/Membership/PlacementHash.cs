namespace Grid.Runtime.Membership;

/// <summary>
/// The 64-bit hashes behind rendezvous placement. They must be the same in every silo and client, in every
/// process, on every machine, so they are FNV-1a over the UTF-16 code units followed by a strong finaliser,
/// never <see cref="string.GetHashCode()"/> (randomised per process).
/// </summary>
public static class PlacementHash
{
    private const ulong OffsetBasis = 14_695_981_039_346_656_037;
    private const ulong Prime = 1_099_511_628_211;

    public static ulong Of(GrainId grainId)
    {
        // The type's length goes first, so no (type, key) pair hashes as another split of the same characters.
        var hash = (OffsetBasis ^ (ulong)grainId.Type.Length) * Prime;
        return Mix(Append(Append(hash, grainId.Type), grainId.Key));
    }

    public static ulong Of(string siloId)
    {
        ArgumentNullException.ThrowIfNull(siloId);
        return Mix(Append(OffsetBasis, siloId));
    }

    /// <summary>A silo's score for a grain; the highest score owns it.</summary>
    public static ulong Score(ulong grainHash, ulong siloHash) => Mix(grainHash ^ siloHash);

    private static ulong Append(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    // The 64-bit finaliser of MurmurHash3: every input bit affects every output bit.
    private static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccd;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53;
        value ^= value >> 33;
        return value;
    }
}
