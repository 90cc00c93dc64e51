// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Credit Grid deposit contract
/// @notice Takes a payment in ETH or in an ERC-20 token, forwards it to the grid's treasury in the same
/// transaction, and emits one `Deposited` event that carries the grid's payment reference, so the grid can
/// credit the right account by reading logs. The contract never holds funds between transactions.
contract GridDeposit {
    /// @notice Where every deposit ends up.
    address public immutable treasury;

    /// @notice One deposit. `token` is the zero address for ETH. `ref` is the grid's 32-byte payment reference.
    event Deposited(address indexed payer, address indexed token, uint256 amount, bytes32 indexed ref);

    error ZeroTreasury();
    error ZeroAmount();
    error ForwardFailed();
    error TokenCallFailed(address token);
    error NoReference();

    constructor(address treasury_) {
        if (treasury_ == address(0)) revert ZeroTreasury();
        treasury = treasury_;
    }

    /// @notice Pays `msg.value` wei to the treasury under the reference `ref`.
    function deposit(bytes32 ref) external payable {
        if (msg.value == 0) revert ZeroAmount();
        (bool ok, ) = treasury.call{value: msg.value}("");
        if (!ok) revert ForwardFailed();
        emit Deposited(msg.sender, address(0), msg.value, ref);
    }

    /// @notice Pays `amount` of `token` to the treasury under the reference `ref`; the payer approves this
    /// contract for at least `amount` first.
    /// @dev Two steps on purpose, payer -> this contract -> treasury: the grid reads a Transfer whose sender is
    /// this contract as the forwarding of a deposit already counted by `Deposited`, so a deposit is never also
    /// counted as a plain transfer to the treasury.
    function depositToken(address token, uint256 amount, bytes32 ref) external {
        if (amount == 0) revert ZeroAmount();
        _callToken(token, abi.encodeCall(IERC20Minimal.transferFrom, (msg.sender, address(this), amount)));
        _callToken(token, abi.encodeCall(IERC20Minimal.transfer, (treasury, amount)));
        emit Deposited(msg.sender, token, amount, ref);
    }

    /// @dev ETH without a reference cannot be credited to anyone, so it goes back to the sender.
    receive() external payable {
        revert NoReference();
    }

    fallback() external payable {
        revert NoReference();
    }

    /// @dev Calls the token and accepts success with no return data (tokens that predate the ERC-20 return
    /// value) or with a return value that decodes to true.
    function _callToken(address token, bytes memory data) private {
        if (token.code.length == 0) revert TokenCallFailed(token);
        (bool ok, bytes memory returned) = token.call(data);
        if (!ok || (returned.length != 0 && !abi.decode(returned, (bool)))) revert TokenCallFailed(token);
    }
}

/// @dev The two ERC-20 functions the deposit contract calls.
interface IERC20Minimal {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}
