using Grid.Chain.Primitives;
using Xunit;

namespace Grid.Chain.Tests.Primitives;

public sealed class BlockTagTests
{
    [Fact]
    public void Tags_and_numbers_have_their_rpc_spelling()
    {
        Assert.Equal("latest", BlockTag.Latest.ToRpcParameter());
        Assert.Equal("finalized", BlockTag.Finalized.ToRpcParameter());
        Assert.Equal("safe", BlockTag.Safe.ToRpcParameter());
        Assert.Equal("0x0", BlockTag.Number(0).ToRpcParameter());
        Assert.Equal("0x1a", BlockTag.Number(26).ToRpcParameter());
        Assert.Equal("0xffffffffffffffff", BlockTag.Number(ulong.MaxValue).ToRpcParameter());
    }

    [Fact]
    public void Equality_is_by_what_is_meant()
    {
        Assert.Equal(BlockTag.Latest, default);
        Assert.Equal(BlockTag.Number(7), BlockTag.Number(7));
        Assert.NotEqual(BlockTag.Number(7), BlockTag.Number(8));
        Assert.NotEqual(BlockTag.Latest, BlockTag.Number(0));
        Assert.NotEqual(BlockTag.Finalized, BlockTag.Safe);
    }

    [Fact]
    public void Only_numbers_have_a_block_number()
    {
        Assert.Equal(42UL, BlockTag.Number(42).BlockNumber);
        Assert.Null(BlockTag.Latest.BlockNumber);
        Assert.Null(BlockTag.Finalized.BlockNumber);
        Assert.Null(BlockTag.Safe.BlockNumber);
    }
}
