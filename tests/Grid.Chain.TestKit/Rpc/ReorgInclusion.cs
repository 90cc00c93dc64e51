using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>
/// A transaction that <c>anvil_reorg</c> puts into one of the blocks it mines in place of the dropped ones.
/// <see cref="BlockOffset"/> counts those new blocks from 0: after a reorg of depth d at height h the new
/// blocks are h-d+1 .. h, and offset k lands in block h-d+1+k (0 &lt;= k &lt; d).
/// </summary>
public sealed record ReorgInclusion(JsonNode Transaction, int BlockOffset)
{
    /// <summary>
    /// An already signed transaction (<see cref="AnvilClient.GetRawTransactionAsync"/> of an earlier one): it keeps
    /// its hash, so the same transaction moves to another block, as in a real reorg.
    /// </summary>
    public static ReorgInclusion Signed(string rawTransaction, int blockOffset) => new(JsonValue.Create(rawTransaction), blockOffset);

    /// <summary>A new transaction the node signs with a dev account, with the nonce that account has at the common ancestor.</summary>
    public static ReorgInclusion Unsigned(TransactionRequest request, int blockOffset)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.ToJson(), blockOffset);
    }
}
