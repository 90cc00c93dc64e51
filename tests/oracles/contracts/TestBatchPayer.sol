// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface ITestToken {
    function transfer(address to, uint256 amount) external returns (bool);
}

interface IGridDepositOfEther {
    function deposit(bytes32 ref) external payable;
}

/// @title Pays the grid several ways in one transaction, for tests
/// @notice `pay` sends two token amounts straight to the treasury from this contract's own balance (plain transfers),
/// then `msg.value` through the deposit contract: one transaction whose logs hold deposits of three tokens (ETH
/// counted as one). For tests only.
contract TestBatchPayer {
    error TransferRefused(address token);

    function pay(
        address firstToken,
        uint256 firstAmount,
        address secondToken,
        uint256 secondAmount,
        address treasury,
        address depositContract,
        bytes32 ref
    ) external payable {
        if (!ITestToken(firstToken).transfer(treasury, firstAmount)) revert TransferRefused(firstToken);
        if (!ITestToken(secondToken).transfer(treasury, secondAmount)) revert TransferRefused(secondToken);
        IGridDepositOfEther(depositContract).deposit{value: msg.value}(ref);
    }
}
